# Define directories to check
DIRS_TO_CHECK="{dirs}"

echo "Starting directory check on PVC mount..."
MISSING_DIRS=""

# Check each directory
for DIR in $DIRS_TO_CHECK; do
  mkdir -p $DIR
  if [ ! -d "$DIR" ]; then
    echo "❌ Directory not found: $DIR"
    MISSING_DIRS="$MISSING_DIRS $DIR"
  else
    echo "✅ Directory exists: $DIR"
  fi
done

# Report results
if [ -z "$MISSING_DIRS" ]; then
  echo "All required directories exist!"
  exit 0
else
  echo "Missing directories:$MISSING_DIRS"
  exit 1  # Non-zero exit code indicates failure
fi
