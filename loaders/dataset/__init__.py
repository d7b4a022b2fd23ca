"""The dataset model: validated items by section (pydantic), their references, and compact storage."""
