export interface RequestCounts {
  dynamodb: number;
  sqs: number;
}
