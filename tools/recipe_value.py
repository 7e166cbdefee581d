"""Print one setting of a LLaMA-Factory recipe (a top-level key of its YAML), for the scripts.

Usage: python tools/recipe_value.py configs/RECIPE.yaml KEY

A missing file, bad YAML or a missing key is one FILE:LINE line on stderr and exit 1.
"""

from __future__ import annotations

import argparse

from lrkit.cli import read_yaml_mapping, run
from lrkit.records import DataError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recipe", help="a recipe YAML (configs/*.yaml)")
    parser.add_argument("key", help="a top-level key, e.g. template, dataset, output_dir")
    args = parser.parse_args()
    recipe = read_yaml_mapping(args.recipe, "recipe settings")
    if args.key not in recipe:
        raise DataError(f"{args.recipe}: {args.key}: not set in this recipe")
    print(recipe[args.key])
    return 0


if __name__ == "__main__":
    run(main)
