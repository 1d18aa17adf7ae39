"""The flavorless ice-cream shop: who works here, and what each of them likes."""
import json

TEAM = [
    {"name": "ana", "role": "scoops"},
    {"name": "bruno", "role": "cones"},
    {"name": "chioma", "role": "sprinkles"},
]

FLAVOURS = {"ana": "pistachio", "bruno": "stracciatella", "chioma": "mango sorbet"}


def _json(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
        "body": json.dumps(body),
    }


def team(event, context):
    return _json(200, {"team": TEAM})


def ice_cream(event, context):
    person = event["pathParameters"]["person"]
    flavour = FLAVOURS.get(person)
    if flavour is None:
        return _json(404, {"message": f"{person} does not work here"})
    caller = event["requestContext"]["authorizer"]["principalId"]
    return _json(200, {"person": person, "flavour": flavour, "askedBy": caller})
