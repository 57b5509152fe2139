"""Words of resolutions: the verb lexicon and obligation ladder, verb and addressee detection,
references as people write them, and the vocabulary that repairs PDF text."""
