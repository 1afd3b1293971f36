/** The size of one built file, in bytes, plain and gzipped. */
export interface AppFileSize {
  readonly bytes: number;
  readonly gzipped: number;
}

/** Builds the web app into `outdir` (default the package's dist/app) and returns its file sizes. */
export function buildApp(outdir?: string): Promise<Record<string, AppFileSize>>;

/** Returns the source files the app bundle is made of, relative to the working directory. */
export function appSources(): Promise<string[]>;
