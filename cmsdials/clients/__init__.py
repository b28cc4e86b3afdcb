"""The classic import paths ``cmsdials.clients.<group>.{models,client}``: faces only."""
