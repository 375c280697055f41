"""metabolero.km"""
