// The flavorless ice-cream shop in TypeScript behind an HTTP API JWT authorizer.
type HttpApiEvent = {
  pathParameters?: Record<string, string>;
  requestContext: { authorizer?: { jwt?: { claims: Record<string, string>; scopes: string[] | null } } };
};

const TEAM = [
  { name: 'ana', role: 'scoops' },
  { name: 'bruno', role: 'cones' },
  { name: 'chioma', role: 'sprinkles' },
];

const FLAVOURS: Record<string, string> = { ana: 'pistachio', bruno: 'stracciatella', chioma: 'mango sorbet' };

// An HTTP API turns a plain object into a 200 application/json response.
export const team = async () => ({ team: TEAM });

export const iceCream = async (event: HttpApiEvent) => {
  const person = event.pathParameters?.person ?? '';
  const flavour = FLAVOURS[person];
  if (!flavour) return { statusCode: 404, body: JSON.stringify({ message: `${person} does not work here` }) };
  const askedBy = event.requestContext.authorizer?.jwt?.claims.sub;
  return { person, flavour, askedBy };
};
