// The aws-lite DynamoDB plugin ships without type declarations: it default-exports a plugin object
// that `@aws-lite/client` takes in its `plugins` option. lib/store/aws-lite-dynamo.ts types its calls.
declare module '@aws-lite/dynamodb' {
  const plugin: {
    readonly name: string;
    readonly service: string;
    readonly methods: Record<string, unknown>;
  };
  export default plugin;
}
