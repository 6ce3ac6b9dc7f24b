"""Identity: the Cognito user pool, one group per role, and the SPA's app client.

`custom:tenant_id` and `custom:role` are what `tenantkit.auth.claims` reads. They are mutable so the
backend (admin APIs) can set them, but the app client can only *read* them: a user cannot move
themselves into another tenant or promote themselves by updating their own attributes.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from tenantkit.auth.claims import ROLE_CLAIM, TENANT_CLAIM
from tenantkit.auth.context import Role
from tenantkit_cdk.settings import Settings

#: Custom attribute names without the `custom:` prefix, straight from the claims the library reads.
TENANCY_ATTRIBUTES = (TENANT_CLAIM.removeprefix("custom:"), ROLE_CLAIM.removeprefix("custom:"))
#: Where the SPA receives the authorization code, under each allowed origin.
CALLBACK_PATH = "/auth/callback"
#: Group precedence (lower wins when a user is in several groups): operator, owner, admin, member.
_PRECEDENCE = {Role.OPERATOR: 0, Role.OWNER: 1, Role.ADMIN: 2, Role.MEMBER: 3}


class IdentityStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"{settings.prefix}-users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            custom_attributes={
                TENANCY_ATTRIBUTES[0]: cognito.StringAttribute(min_len=1, max_len=64, mutable=True),
                TENANCY_ATTRIBUTES[1]: cognito.StringAttribute(min_len=1, max_len=16, mutable=True),
            },
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.REQUIRED if settings.mfa_required else cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.ESSENTIALS,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.groups = {
            role: cognito.CfnUserPoolGroup(
                self,
                f"{role.name.title()}Group",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=role.value,
                precedence=_PRECEDENCE[role],
                description=f"tenantkit role {role.value}",
            )
            for role in Role
        }
        self.domain = self.user_pool.add_domain(
            "Domain", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=settings.auth_domain_prefix)
        )
        self.client = self._spa_client(settings)
        self._publish(settings)
        self._acknowledge(settings)

    def _spa_client(self, settings: Settings) -> cognito.UserPoolClient:
        standard = cognito.ClientAttributes().with_standard_attributes(
            email=True, fullname=True, given_name=True, family_name=True, locale=True
        )
        readable = standard.with_standard_attributes(email_verified=True).with_custom_attributes(*TENANCY_ATTRIBUTES)
        client = self.user_pool.add_client(
            "SpaClient",
            user_pool_client_name=f"{settings.prefix}-spa",
            generate_secret=False,
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True, implicit_code_grant=False),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=[f"{origin}{CALLBACK_PATH}" for origin in settings.allowed_origins],
                logout_urls=[f"{origin}/" for origin in settings.allowed_origins],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            read_attributes=readable,
            write_attributes=standard,
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
        )
        # With no explicit flows Cognito would allow SRP and custom auth; the SPA signs in through the
        # hosted UI (authorization code + PKCE) and only refreshes tokens directly.
        cfn_client = client.node.default_child
        assert isinstance(cfn_client, cognito.CfnUserPoolClient)
        cfn_client.explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]
        return client

    def _publish(self, settings: Settings) -> None:
        for construct_id, resource, attribute, value in (
            ("UserPoolIdParameter", "user-pool", "id", self.user_pool.user_pool_id),
            ("UserPoolArnParameter", "user-pool", "arn", self.user_pool.user_pool_arn),
            ("SpaClientIdParameter", "spa-client", "id", self.client.user_pool_client_id),
            ("AuthDomainParameter", "auth-domain", "url", self.domain.base_url()),
        ):
            ssm.StringParameter(
                self,
                construct_id,
                parameter_name=settings.ssm_parameter("cognito", resource, attribute),
                string_value=value,
            )

    def _acknowledge(self, settings: Settings) -> None:
        plus = (
            "Threat protection (advanced security) needs the Plus feature plan, priced per monthly active "
            "user; a deployment that buys it sets the plan and enforcement on this pool."
        )
        findings = [
            Acknowledgment(id="AwsSolutions-COG3", reason=plus),
            Acknowledgment(id="AwsSolutions-COG8", reason=plus),
        ]
        if not settings.mfa_required:
            findings.append(
                Acknowledgment(
                    id="AwsSolutions-COG2",
                    reason="MFA (TOTP) is optional per user by default so local and demo tenants can sign in; "
                    "production sets `-c mfa=required`.",
                )
            )
        Validations.of(self.user_pool).acknowledge(*findings)
