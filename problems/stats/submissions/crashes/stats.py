import this_module_does_not_exist  # every test: RE at import
