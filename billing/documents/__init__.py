"""Business documents rendered to PDF, their numbering, Factur-X and Chorus Pro."""
