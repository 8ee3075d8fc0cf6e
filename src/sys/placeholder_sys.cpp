// Placeholder so the library has a source until the sys layer lands.
