import { describe, expect, it } from 'vitest'
import { authorizationUrl, useCliWorld } from './support/cli-world.js'

const world = useCliWorld()

describe('a login that does not finish exits with 2', () => {
  it('on Ctrl-C, after closing the loopback port', async () => {
    const cli = world.start([...world.loginArgs('interrupted'), '--no-browser', '--no-input'])
    const [, url] = await cli.waitFor(authorizationUrl)
    cli.signal('SIGINT')
    const result = await cli.done

    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/keyway: The login was cancelled\.\n$/)
    const redirect = new URL(new URL(url!).searchParams.get('redirect_uri')!)
    await expect(fetch(redirect)).rejects.toThrow()
  })

  it('on --timeout', async () => {
    const cli = world.start([
      ...world.loginArgs('slow'),
      '--no-browser',
      '--no-input',
      '--timeout',
      '0.5',
    ])
    const result = await cli.done

    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/keyway: The login timed out after 500 ms\.\n$/)
  })

  it('when the input ends before an address was pasted', async () => {
    const result = await world.run([...world.loginArgs('ended'), '--paste'])

    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'keyway: The input ended before an address or a code was pasted.',
    )
  })
})
