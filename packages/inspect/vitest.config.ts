import { keywayProject } from '../../vitest.project.js'

export default keywayProject('inspect')
