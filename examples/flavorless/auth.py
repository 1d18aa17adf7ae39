"""TOKEN authorizer: verifies an RS256 bearer token against the issuer's JWKS and answers with an
IAM policy. A malformed token is 401 (raise "Unauthorized"); a valid signature with the wrong
audience, or an expired token, is an explicit Deny (403)."""
import os

import jwt

_jwks = jwt.PyJWKClient(os.environ["JWKS_URI"])


def _policy(principal, effect, method_arn, context=None):
    # arn:aws:execute-api:region:account:api/stage/METHOD/path -> allow the whole stage, so a cached
    # answer is valid for every route.
    api, stage = method_arn.split("/")[:2]
    answer = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": f"{api}/{stage}/*"}],
        },
    }
    if context:
        answer["context"] = context
    return answer


def authorizer(event, context):
    token = event["authorizationToken"].removeprefix("Bearer ")
    try:
        key = _jwks.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token, key.key, algorithms=["RS256"],
            audience=os.environ["AUDIENCE"], issuer=os.environ["TOKEN_ISSUER"],
        )
    except (jwt.InvalidAudienceError, jwt.ExpiredSignatureError, jwt.InvalidIssuerError) as err:
        print(f"denied: {err}")
        return _policy("anonymous", "Deny", event["methodArn"])
    except (jwt.PyJWTError, jwt.PyJWKClientError) as err:
        print(f"rejected: {err}")
        raise Exception("Unauthorized")
    return _policy(claims["sub"], "Allow", event["methodArn"], {"scope": claims.get("scope", "")})
