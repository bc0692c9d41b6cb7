import PNG
