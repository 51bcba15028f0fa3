"""Data access: pynamodb models and repositories, plus S3, Step Functions and Cognito adapters."""
