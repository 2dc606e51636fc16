"""The site's date formats (FORMAT_MODULE_PATH): one way of writing a date everywhere."""
