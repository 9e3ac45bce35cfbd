// Package roster parses and writes the spreadsheets officials send and
// receive. The writing side (XLSXWriter) streams rows into an xlsx file
// with every cell a string, so nothing a user typed can become a formula
// when the file is opened; the import side comes in a later issue.
package roster
