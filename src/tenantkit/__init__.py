"""tenantkit: multi-tenant SaaS backend library for AWS Lambda, API Gateway and single-table DynamoDB.

Importing the package is cheap on purpose: each subpackage (`models`, `store`, `services`, `auth`,
`api`) is imported on its own so a Lambda pays only for what its first request needs.
"""

__version__ = "0.1.0"
