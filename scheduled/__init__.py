"""What runs here and not in AWS: the embedded launcher, pumps, seeding and CLIs."""
