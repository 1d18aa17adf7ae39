// Says hello to `event.name`, the `name` query or path parameter, or the world.
type HelloEvent = {
  name?: string;
  queryStringParameters?: Record<string, string> | null;
  pathParameters?: Record<string, string> | null;
};

export const hello = async (event: HelloEvent) => {
  const name = event.name ?? event.pathParameters?.name ?? event.queryStringParameters?.name ?? 'world';
  console.log(`greeting ${name}`);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: `${process.env.GREETING}, ${name}!` }),
  };
};
