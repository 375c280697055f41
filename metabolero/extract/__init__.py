"""metabolero.extract"""
