"""metabolero.meta"""
