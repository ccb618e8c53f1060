"""The shop's date formats per language (settings.FORMAT_MODULE_PATH); a
format not given here is Django's for the language."""
