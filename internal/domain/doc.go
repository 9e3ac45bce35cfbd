// Package domain holds the types of the product that every other package
// speaks: typed identifiers, enumerations, civil dates and the coded Error
// through which rule violations travel to the user in their own language.
// It imports only the standard library so that it can sit at the bottom of
// the import flow.
package domain
