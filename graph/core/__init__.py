"""The ground floor: errors with exit codes, configuration, package resources and safe output files."""
