import { memoryStore } from '@keyway/core'
import { describeTokenStore } from '../src/store-contract/index.js'

// Nothing lies beneath the memory store to read or damage; its handles share one store, as the
// Keyway instances of one process do.
const shared = memoryStore()
describeTokenStore('memory store', () => shared, {})
