"""Leitbild — eine Stadt entwickelt, beschließt und setzt ihre Smart-City-Strategie mit ihren
Einwohnerinnen und Einwohnern um."""

__version__ = "0.1.0"
