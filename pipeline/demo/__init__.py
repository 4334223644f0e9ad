"""The demo county's generator (its plan and a year of returned forms), apart from the stages."""
