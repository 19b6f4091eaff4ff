"""Packaging glue: ship the top-level rules/ directory inside the wheel as dlp.rules."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["dlp", "dlp.*"]) + ["dlp.rules"],
    package_dir={"dlp.rules": "rules"},
    package_data={"dlp": ["py.typed", "data/*"], "dlp.rules": ["*.yaml", "*/*.yaml", "*/*/*.yaml"]},
)
