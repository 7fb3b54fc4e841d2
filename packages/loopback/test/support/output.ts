import type { TextOutput } from '@keyway/loopback'
import { CollectedOutput as Collected } from '@keyway/testing'

/** A {@link TextOutput} that keeps what the receiver wrote, line by line. */
export class CollectedOutput extends Collected implements TextOutput {
  /** Resolves with the authorization URL once it is printed on a line of its own. */
  async authorizationUrl(): Promise<URL> {
    return new URL(await this.line((line) => /^https?:\/\/\S+$/.test(line)))
  }
}
