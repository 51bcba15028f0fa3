"""Business rules of the mall. Pure Python: no boto3, pynamodb or chalice here."""
