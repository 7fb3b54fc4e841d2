/** What `keyway --help` adds after the options: precedence, files, exit codes, variables. */
export const helpEpilogue = `
Settings come from, in this order: a flag, its KEYWAY_* variable, the saved
profile, the default. \`keyway login\` saves the profile (provider or issuer,
client, scopes, store, --dpop) in config.json in the config folder:
KEYWAY_CONFIG_DIR, else ~/.config/keyway on Linux (~/Library/Preferences/keyway
on macOS, %APPDATA%\\keyway\\Config on Windows). \`keyway status\` shows where
each value comes from.

Tokens are kept in the OS keychain where one answers, else in a private file
(0600) in the config folder, with a notice; --store keychain insists on the
keychain (a missing or locked one is then an error), --store file on the file.

Exit codes: 0 done, 1 error, 2 cancelled (Ctrl-C or timeout),
4 login required (what to run is printed on stderr). With --json, errors are
also one {"error": {"code", "message"}} object on stdout.

Other variables: KEYWAY_TRACE=1 (or a file to append to) traces HTTP like
--verbose; KEYWAY_INTERACTIVE=0 forbids prompts like --no-input; NO_COLOR
turns colors off.

Examples:
  keyway login --issuer https://id.example.com --client-id my-cli
  curl -H "Authorization: Bearer $(keyway token)" https://api.example.com/me
  keyway token --min-ttl 300 --header
  keyway run --profile work -- ./deploy.sh
  git config --global credential.https://git.example.com.helper keyway
`
