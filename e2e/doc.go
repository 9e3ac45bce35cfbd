// Package e2e holds the real-browser tests: the server runs in-process on a
// fresh database and Debian's chromium, driven by chromedp, clicks through
// it as a user would. Screenshots land in the test's output folder
// (GONGJIAN_SCREENSHOTS, default e2e/screenshots) for a person to look at.
package e2e
