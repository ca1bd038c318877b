"""Documents in UN form: the shared DOCX template and the PDF converter."""
