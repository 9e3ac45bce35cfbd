// Package roster parses and writes the spreadsheets officials send and
// receive. The writing side (XLSXWriter) streams rows into an xlsx file
// with every cell a string, so nothing a user typed can become a formula
// when the file is opened. The reading side (Open) takes xlsx and CSV
// (UTF-8 or GB18030), checks an xlsx package before parsing it (entry
// count, real inflated sizes, no DTD), and yields rows with their Excel row
// numbers, reading dates by their raw serial and number format; FindHeader
// maps the header row to fields by their Chinese labels and aliases.
package roster
