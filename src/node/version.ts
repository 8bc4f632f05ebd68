/** petal's version, and the commit it was built from (set by scripts/build-binary.ts; "dev" when run from source). */
import pkg from '../../package.json' with { type: 'json' }

/** The package version, e.g. "0.1.0". */
export const VERSION: string = pkg.version

declare const PETAL_COMMIT: string | undefined

/** The git commit of the build, injected at compile time with `--define`; "dev" from source. */
export const COMMIT: string = typeof PETAL_COMMIT === 'string' ? PETAL_COMMIT : 'dev'
