package catalog

// VIN is a normalised (upper-case, validated) vehicle identification number. Build one with ParseVIN.
type VIN string
