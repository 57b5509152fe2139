"""What people see: the command line, text rendering, HTML pieces and the Jupyter widgets."""
