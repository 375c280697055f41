"""metabolero.report"""
