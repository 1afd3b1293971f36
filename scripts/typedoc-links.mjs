// A typedoc plugin: `{@link @qtp/core!ValidationError}` names a package and an export of its
// main entry. A package with subpaths has one module per entry (`index`, `testing`, ...), and
// typedoc looks for the export at the package's top; this resolves it in the `index` module.

/** Returns the reflection at `path` below `start`, or undefined. */
function find(start, path) {
  let reflection = start;
  for (const name of path) {
    reflection = reflection?.children?.find((child) => child.name === name);
  }
  return reflection;
}

/** Registers the resolver with the typedoc application. */
export function load(app) {
  app.converter.addUnknownSymbolResolver((ref, reflection, part) => {
    // Only links in comments: a type's link to an external symbol must stay a URL.
    if (part === undefined) return;
    const path = ref.symbolReference?.path?.map((segment) => segment.path);
    if (ref.moduleSource === undefined || path === undefined || path.length === 0) return;
    // Only in the merged project: one package's project is serialized before the merge, and a
    // reflection target cannot be; the links left open are resolved again after the merge.
    const owner = reflection.project.children?.find((child) => child.name === ref.moduleSource);
    const target = find(find(owner, ['index']), path);
    // typedoc takes a reflection as the target of a resolved link.
    return target === undefined ? undefined : { target };
  });
}
