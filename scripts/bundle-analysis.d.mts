/** Libraries that must stay behind `@qtp/core`'s subpaths, never in a main entry. */
export declare const HEAVY_LIBRARIES: readonly string[];

/** What {@link analyzeBundle} found in a bundle. */
export interface BundleAnalysis {
  /** The minified output, in bytes. */
  readonly bytes: number;
  /** Heavy libraries bundled or imported. */
  readonly heavy: readonly string[];
  /** Node built-ins the output still imports. */
  readonly builtins: readonly string[];
  /** Node built-ins any parsed module asked for, tree-shaken away or not. */
  readonly resolvedBuiltins: readonly string[];
  /** Third-party packages with code in the output. */
  readonly packages: readonly string[];
}

/** Options of {@link analyzeBundle}. */
export interface AnalyzeBundleOptions {
  /** The entry: an ES module, TypeScript allowed. */
  readonly contents: string;
  /** The folder the entry resolves its imports from. */
  readonly resolveDir: string;
  /** The esbuild platform (default `browser`). */
  readonly platform?: 'browser' | 'node' | 'neutral';
  /** Extra export conditions, such as `@qtp/source`. */
  readonly conditions?: readonly string[];
  /** Import specifiers left out of the bundle. */
  readonly external?: readonly string[];
  /** `external` leaves every package import out, so only the entry's own code is measured. */
  readonly packages?: 'bundle' | 'external';
}

/** Bundles `contents` minified with esbuild and reports what ended up in the output. */
export declare function analyzeBundle(options: AnalyzeBundleOptions): Promise<BundleAnalysis>;
