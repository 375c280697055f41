"""metabolero.review"""
