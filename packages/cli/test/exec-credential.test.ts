import { describe, expect, it } from 'vitest'
import { execCredential, readExecInfo } from '../src/kubectl/exec-credential.js'

const v1 = 'client.authentication.k8s.io/v1'
const v1beta1 = 'client.authentication.k8s.io/v1beta1'
const info = (value: unknown) => ({ KUBERNETES_EXEC_INFO: JSON.stringify(value) })

describe("kubectl's KUBERNETES_EXEC_INFO", () => {
  it('asks for the version to answer in, and says whether the plugin may talk', () => {
    expect(readExecInfo(info({ apiVersion: v1beta1, spec: {} }))).toEqual({ apiVersion: v1beta1 })
    expect(readExecInfo(info({ apiVersion: v1, spec: { interactive: false } }))).toEqual({
      apiVersion: v1,
      interactive: false,
    })
  })

  it.each([
    ['absent', {}],
    ['not JSON', { KUBERNETES_EXEC_INFO: '{' }],
    ['an unknown version', info({ apiVersion: 'client.authentication.k8s.io/v2', spec: {} })],
  ])('means v1 when %s', (_, env) => {
    expect(readExecInfo(env).apiVersion).toBe(v1)
  })
})

describe('the ExecCredential', () => {
  it('holds the token and its expiry, in the version asked for', () => {
    const served = { idToken: 'header.claims.signature', expiresAt: Date.UTC(2026, 0, 1, 12) }

    expect(JSON.parse(execCredential({ apiVersion: v1beta1 }, served))).toEqual({
      apiVersion: v1beta1,
      kind: 'ExecCredential',
      status: { token: 'header.claims.signature', expirationTimestamp: '2026-01-01T12:00:00Z' },
    })
  })
})
