/**
 * The CommonJS entry: it re-exports the ES module, which Node >= 20.19 can `require()`, so
 * `require` and `import` share one copy of the package (one `KeywayError` class, one state).
 */
export * from './index.js'
