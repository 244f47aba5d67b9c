export {
  MongoSatisfactionService,
  getAnswerModel,
  getSurveyModel,
  type AnswerResult,
  type AskFunction,
  type MongoSatisfactionServiceOptions,
  type SatisfactionAnswer,
  type SatisfactionService,
  type Survey,
} from './satisfactionService';
