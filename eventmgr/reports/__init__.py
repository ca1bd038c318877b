"""Rapporteur notes, findings, recommendations and the outcome report."""
