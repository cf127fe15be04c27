/**
 * A value made on first use and then kept (e.g. a set of zod schemas whose construction a cold
 * start should not pay before they are needed: docs/design.md "Cold start").
 */
export const once = <T>(create: () => T): (() => T) => {
  let made: { readonly value: T } | undefined;
  return () => {
    made ??= { value: create() };
    return made.value;
  };
};
