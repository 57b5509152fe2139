"""Where texts come from: fetching the pinned sources, finding their files, and the readers
(AKN XML, CR-UNSC text, PDF and PDF-extracted text) that turn them into records."""
