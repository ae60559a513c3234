"""The test suite: unit and process tests here, the real CLI in e2e/, helpers in support/."""
