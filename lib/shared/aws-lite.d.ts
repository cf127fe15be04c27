// The aws-lite service plugins ship without type declarations: each default-exports a plugin
// object that `@aws-lite/client` takes in its `plugins` option. The clients that use them
// (lib/store/aws-lite-dynamo.ts, functions/shared/secrets.ts) type their own calls.
declare module '@aws-lite/dynamodb' {
  const plugin: {
    readonly name: string;
    readonly service: string;
    readonly methods: Record<string, unknown>;
  };
  export default plugin;
}
declare module '@aws-lite/ssm' {
  const plugin: {
    readonly name: string;
    readonly service: string;
    readonly methods: Record<string, unknown>;
  };
  export default plugin;
}
