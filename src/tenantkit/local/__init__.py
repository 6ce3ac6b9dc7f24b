"""tenantkit.local: the local stack (embedded DynamoDB, API Gateway + authorizer emulation, dev identities).

Nothing in the library imports this package; Lambdas never load it.
"""
