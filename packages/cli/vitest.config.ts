import { keywayProject } from '../../vitest.project.js'

export default keywayProject('cli', { globalSetup: ['test/support/build-bundle.ts'] })
